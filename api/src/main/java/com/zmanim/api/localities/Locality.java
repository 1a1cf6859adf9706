package com.zmanim.api.localities;

/**
 * A place of the bundled GeoNames dataset. {@code elevationMetres} is null where unknown; {@code
 * distanceMetres} is set only in results of a nearby search.
 */
public record Locality(
    long id,
    String name,
    String countryCode,
    String admin1Code,
    double latitude,
    double longitude,
    Double elevationMetres,
    long population,
    String timeZone,
    Double distanceMetres) {}
