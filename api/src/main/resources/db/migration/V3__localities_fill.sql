-- Moves the staged GeoNames rows into localities, computing the search name and the point.
INSERT INTO localities (id, name, search_name, country_code, admin1_code, latitude, longitude,
                        elevation_m, population, time_zone, location)
SELECT id, name, lower(unaccent(name)), country_code, NULLIF(admin1_code, ''), latitude, longitude,
       NULL, population, time_zone,
       ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography
FROM localities_load;
DROP TABLE localities_load;
ANALYZE localities;
