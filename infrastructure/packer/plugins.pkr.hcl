# Packer and plugin versions. The plugin is built from its Go module and installed by
# scripts/setup.d/40-go-tools.sh (`packer plugins install --path`), so `packer init .` finds it
# already installed and downloads nothing; CI runs the same setup step.
packer {
  required_version = ">= 1.16.0"
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = "= 1.8.2"
    }
  }
}
