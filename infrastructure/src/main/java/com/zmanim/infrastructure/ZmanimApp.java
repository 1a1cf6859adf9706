package com.zmanim.infrastructure;

import com.zmanim.infrastructure.compute.ComputeStack;
import com.zmanim.infrastructure.config.AppContext;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.ha.compute.HaComputeStack;
import com.zmanim.infrastructure.ha.data.HaDataStack;
import com.zmanim.infrastructure.ha.network.HaNetworkStack;
import com.zmanim.infrastructure.imagepipeline.ImagePipelineStack;
import com.zmanim.infrastructure.naming.NamesFile;
import com.zmanim.infrastructure.naming.Naming;
import com.zmanim.infrastructure.network.NetworkStack;
import com.zmanim.infrastructure.storage.StorageStack;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/**
 * The CDK app: builds the configuration, creates the stacks of the configured profile, checks them
 * with cdk-nag, synthesizes.
 */
public final class ZmanimApp {

  private ZmanimApp() {}

  public static void main(String[] args) {
    App app = new App(AppProps.builder().context(AppContext.FEATURE_FLAGS).build());
    Map<String, Object> names = define(app);
    // Synthesis fails on any AwsSolutions finding that is not acknowledged with a reason.
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
    NamesFile.write(Path.of(app.getOutdir()), names);
  }

  /**
   * Creates the stacks of the configured profile (configuration from the app's context) in {@code
   * app}; returns the names the scripts read ({@link NamesFile}).
   */
  public static Map<String, Object> define(App app) {
    ZmanimConfig config = ZmanimConfig.fromLookup(app.getNode()::tryGetContext);
    Naming naming = new Naming(config);
    StackProps props = AppContext.stackProps(config);
    Map<String, String> stacks = new LinkedHashMap<>();

    // Storage (backups, releases) and the image pipeline serve both profiles.
    stacks.put(
        "Storage",
        new StorageStack(app, naming.stackName("Storage"), props, config, naming).getStackName());
    stacks.put(
        "ImagePipeline",
        new ImagePipelineStack(app, naming.stackName("ImagePipeline"), props, config, naming)
            .getStackName());
    if (config.isHa()) {
      stacks.put(
          "HaNetwork",
          new HaNetworkStack(app, naming.haStackName("Network"), props, config, naming)
              .getStackName());
      stacks.put(
          "HaData",
          new HaDataStack(app, naming.haStackName("Data"), props, config, naming).getStackName());
      stacks.put(
          "HaCompute",
          new HaComputeStack(app, naming.haStackName("Compute"), props, config, naming)
              .getStackName());
    } else {
      stacks.put(
          "Network",
          new NetworkStack(app, naming.stackName("Network"), props, config, naming).getStackName());
      stacks.put(
          "Compute",
          new ComputeStack(app, naming.stackName("Compute"), props, config, naming).getStackName());
    }
    return NamesFile.names(config, naming, stacks);
  }
}
