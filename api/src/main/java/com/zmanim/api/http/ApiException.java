package com.zmanim.api.http;

/**
 * A request the API refuses, answered as JSON {@code {"error":..., "message":..., "parameter":...,
 * "accepted":...}} with the given status. Never carries a stack trace to the client.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final String parameter;
  private final String accepted;

  public ApiException(int status, String error, String message, String parameter, String accepted) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
    this.parameter = parameter;
    this.accepted = accepted;
  }

  /** 400 naming the parameter and what it accepts. */
  public static ApiException badParameter(String parameter, String message, String accepted) {
    return new ApiException(400, "bad_request", message, parameter, accepted);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message, null, null);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String parameter() {
    return parameter;
  }

  public String accepted() {
    return accepted;
  }
}
