-- Localities: the places the API knows, with a PostGIS point for nearest-place queries and a
-- normalised name for prefix/fuzzy search. Runs as the database owner `zmanim`, not a superuser:
-- pg_trgm and unaccent are trusted extensions (PostgreSQL 13+), postgis is not, so the boot logic
-- creates postgis (as postgres) before the API starts (architecture.md §4).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis') THEN
    RAISE EXCEPTION 'extension postgis is missing in database %: it is created by the boot logic as postgres (CREATE EXTENSION postgis) before the API starts', current_database();
  END IF;
END
$$;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE localities (
  id           bigint PRIMARY KEY,             -- GeoNames id
  name         text NOT NULL,
  search_name  text NOT NULL,                  -- lower(unaccent(name)), what search matches
  country_code char(2) NOT NULL,               -- ISO 3166-1 alpha-2
  admin1_code  text,
  latitude     double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude    double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  elevation_m  double precision,               -- metres above sea level; NULL when unknown
  population   bigint NOT NULL DEFAULT 0,
  time_zone    text NOT NULL,                  -- IANA zone name
  location     geography(Point, 4326) NOT NULL
);
CREATE INDEX localities_location_gist ON localities USING gist (location);
CREATE INDEX localities_search_name_trgm ON localities USING gin (search_name gin_trgm_ops);

-- Staging table filled by migration 2 (com.zmanim.api.db.LocalitiesData, COPY) and emptied into
-- localities by V3.
CREATE TABLE localities_load (
  id           bigint PRIMARY KEY,
  name         text NOT NULL,
  country_code char(2) NOT NULL,
  admin1_code  text,
  latitude     double precision NOT NULL,
  longitude    double precision NOT NULL,
  population   bigint NOT NULL,
  time_zone    text NOT NULL
);
