package com.zmanim.infrastructure.compute;

import java.util.Objects;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The SNS topic alarms and Auto Scaling events go to, with the alarm e-mail subscribed (TLS-only).
 */
public final class AlarmTopic extends Construct {

  /**
   * @param topicName name of the topic
   * @param email recipient; AWS sends a confirmation mail that must be accepted once
   */
  public record Props(String topicName, String email) {
    public Props {
      Objects.requireNonNull(topicName, "topicName");
      if (email == null || !email.contains("@")) {
        throw new IllegalArgumentException("email is invalid: " + email);
      }
    }
  }

  private final Topic topic;

  public AlarmTopic(Construct scope, String id, Props props) {
    super(scope, id);
    topic =
        Topic.Builder.create(this, "Topic")
            .topicName(props.topicName())
            .displayName("zmanim alarms")
            .enforceSsl(true)
            .build();
    topic.addSubscription(new EmailSubscription(props.email()));
  }

  public Topic topic() {
    return topic;
  }
}
