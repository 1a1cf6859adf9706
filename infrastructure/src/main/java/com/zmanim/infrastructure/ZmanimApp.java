package com.zmanim.infrastructure;

import com.zmanim.infrastructure.compute.ComputeStack;
import com.zmanim.infrastructure.config.AppContext;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.ha.compute.HaComputeStack;
import com.zmanim.infrastructure.ha.data.HaDataStack;
import com.zmanim.infrastructure.ha.network.HaNetworkStack;
import com.zmanim.infrastructure.imagepipeline.ImagePipelineStack;
import com.zmanim.infrastructure.naming.Naming;
import com.zmanim.infrastructure.network.NetworkStack;
import com.zmanim.infrastructure.storage.StorageStack;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/** The CDK app: builds the configuration, creates the stacks of the configured profile, checks them with cdk-nag, synthesizes. */
public final class ZmanimApp {

  private ZmanimApp() {
  }

  public static void main(String[] args) {
    App app = new App(AppProps.builder().context(AppContext.FEATURE_FLAGS).build());
    ZmanimConfig config = ZmanimConfig.fromLookup(app.getNode()::tryGetContext);
    Naming naming = new Naming(config);
    StackProps props = AppContext.stackProps(config);

    // Storage (backups, releases) and the image pipeline serve both profiles.
    new StorageStack(app, naming.stackName("Storage"), props, config, naming);
    new ImagePipelineStack(app, naming.stackName("ImagePipeline"), props, config, naming);
    if (config.isHa()) {
      new HaNetworkStack(app, naming.haStackName("Network"), props, config, naming);
      new HaDataStack(app, naming.haStackName("Data"), props, config, naming);
      new HaComputeStack(app, naming.haStackName("Compute"), props, config, naming);
    } else {
      new NetworkStack(app, naming.stackName("Network"), props, config, naming);
      new ComputeStack(app, naming.stackName("Compute"), props, config, naming);
    }

    // Synthesis fails on any AwsSolutions finding that is not acknowledged with a reason.
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
  }
}
