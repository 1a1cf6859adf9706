package com.zmanim.infrastructure.compute;

import com.zmanim.infrastructure.config.ResourceText;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.UserData;

/**
 * The instance's user data (contract §1): the resource file {@code compute/user-data.sh} rendered
 * by CloudFormation with {@code Fn::Sub}. It passes non-secret identifiers only.
 */
public final class BootUserData {

  public static final String RESOURCE = "compute/user-data.sh";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_:]+)}");

  private BootUserData() {}

  /**
   * @param variables value (string or token) of every {@code ${Name}} in the file other than the
   *     {@code AWS::} pseudo parameters; a missing or extra one fails naming it
   */
  public static UserData render(Map<String, String> variables) {
    return render(RESOURCE, variables);
  }

  /**
   * The same for another user data resource file (the {@code ha} profile's API instances use {@code
   * ha/user-data.sh}); same rules.
   */
  public static UserData render(String resource, Map<String, String> variables) {
    String template = ResourceText.read(resource);
    Set<String> wanted = placeholders(template);
    if (!wanted.equals(variables.keySet())) {
      Set<String> missing = new TreeSet<>(wanted);
      missing.removeAll(variables.keySet());
      Set<String> extra = new TreeSet<>(variables.keySet());
      extra.removeAll(wanted);
      throw new IllegalArgumentException(
          resource + ": variables missing " + missing + ", unused " + extra);
    }
    return UserData.custom(Fn.sub(template, variables));
  }

  /** The {@code ${Name}} placeholders of the file, without the {@code AWS::} pseudo parameters. */
  public static Set<String> placeholders(String template) {
    Set<String> names = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!m.group(1).startsWith("AWS::")) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
