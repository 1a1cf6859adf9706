package com.zmanim.infrastructure.compute;

import com.zmanim.infrastructure.Ordered;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.ssm.CfnDocument;
import software.constructs.Construct;

/**
 * The SSM Command document the operator's {@code scripts/ops/secrets.sh rotate} sends to the
 * instance: it runs {@code zmanim-rotate STEP} as root, STEP one of {@link #STEPS} (SSM refuses any
 * other value before anything runs). An operator's policy may then allow {@code ssm:SendCommand} on
 * this document and the stack's instances alone, rather than {@code AWS-RunShellScript}, which runs
 * anything as root (docs/adr/0018-secret-rotation.md).
 */
public final class RotationDocument extends Construct {

  /** The steps of {@code /usr/local/sbin/zmanim-rotate} (its usage lists the same). */
  public static final List<String> STEPS =
      List.of("database", "redis", "origin-verify", "restic-add-key", "restic-remove-old-key");

  /** A restic key change waits for the backup lock, held by a backup for up to an hour. */
  static final int TIMEOUT_SECONDS = 3_900;

  /**
   * @param name the document's name, e.g. {@code zmanim-prod-rotate}
   */
  public record Props(String name) {
    public Props {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[A-Za-z0-9_.-]{3,128}")
          || name.startsWith("AWS")
          || name.startsWith("Amazon")) {
        throw new IllegalArgumentException(
            "name is invalid: "
                + name
                + ": 3-128 of A-Z a-z 0-9 _ . -, not starting with AWS or Amazon (SSM's reserved prefixes)");
      }
    }
  }

  private final CfnDocument document;

  public RotationDocument(Construct scope, String id, Props props) {
    super(scope, id);
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("type", "String");
    step.put("description", "the rotation step (zmanim-rotate --help)");
    step.put("allowedValues", STEPS);
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("schemaVersion", "2.2");
    content.put(
        "description",
        "zmanim: one step of a secret rotation on the instance (zmanim-rotate, ADR 0018)");
    content.put("parameters", Map.of("step", step));
    content.put(
        "mainSteps",
        List.of(
            Ordered.map(
                "action", "aws:runShellScript",
                "name", "rotate",
                "inputs",
                    Ordered.map(
                        "runCommand", List.of("/usr/local/sbin/zmanim-rotate '{{ step }}'"),
                        "timeoutSeconds", Integer.toString(TIMEOUT_SECONDS)))));
    document =
        CfnDocument.Builder.create(this, "Document")
            .name(props.name())
            .documentType("Command")
            .documentFormat("JSON")
            .updateMethod("NewVersion")
            .content(content)
            .build();
  }

  public String documentName() {
    return document.getRef();
  }
}
