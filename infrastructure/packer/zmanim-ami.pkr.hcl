# The zmanim image: Debian 13 (trixie) arm64 with PostgreSQL 17 + PostGIS, Redis, restic, the AWS
# CLI, the Java runtime and the API baked in. Provisioning runs the scripts named in
# provision/provision.list, in order, as root: the rehearsal runs the very same list in a local
# rootfs, so the two cannot drift. Files that ship sit under files/, mirroring their target paths.

locals {
  # Scripts to run, in order: non-empty, non-comment lines of the shared list.
  provision_scripts = [
    for line in split("\n", file("${path.root}/provision/provision.list")) :
    trimspace(line)
    if trimspace(line) != "" && !startswith(trimspace(line), "#")
  ]
  staging   = "/tmp/zmanim-build"
  timestamp = formatdate("YYYYMMDDhhmmss", timestamp())
}

source "amazon-ebs" "zmanim" {
  region          = var.region
  instance_type   = var.instance_type
  ami_name        = "zmanim-${var.version}-${local.timestamp}"
  ami_description = "zmanim ${var.version}: Debian 13 arm64, PostgreSQL 17 + PostGIS, Redis, API ${var.api_version}"
  # Packer's SSH reaches the builder only from this runner's own public address.
  ssh_username                              = "admin"
  temporary_security_group_source_public_ip = true
  # Packer's temporary key leaves the image (80-cleanup.sh also removes every authorized_keys).
  ssh_clear_authorized_keys = true

  # Debian 13 (trixie) arm64, the newest official image published by Debian's own account.
  source_ami_filter {
    owners      = [var.source_ami_owner]
    most_recent = true
    filters = {
      name                = var.source_ami_name
      architecture        = "arm64"
      virtualization-type = "hvm"
      root-device-type    = "ebs"
    }
  }

  # Encrypted root volume (the account's default EBS key).
  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = var.root_volume_size_gib
    volume_type           = "gp3"
    encrypted             = true
    delete_on_termination = true
  }
  ena_support = true

  # IMDSv2 only, on the builder and in the AMI's defaults.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
  imds_support = "v2.0"

  # The build role (the image pipeline stack, ADR 0003) lets Packer launch, tag and delete only
  # resources carrying its tags, var.build_tags (instance, volumes, security group, key pair:
  # run_tags apply to all of them).
  run_tags = merge({
    Name    = "zmanim-ami-builder-${var.version}"
    Project = "zmanim"
  }, var.build_tags)
  run_volume_tags = merge({
    Project = "zmanim"
  }, var.build_tags)
  tags = {
    Name        = "zmanim-${var.version}"
    Project     = "zmanim"
    Version     = var.version
    ApiVersion  = var.api_version
    BaseAmi     = "{{ .SourceAMI }}"
    BaseAmiName = "{{ .SourceAMIName }}"
  }
}

build {
  sources = ["source.amazon-ebs.zmanim"]

  provisioner "shell" {
    inline = ["rm -rf ${local.staging} && mkdir -p ${local.staging}/provision"]
  }

  # The provisioner scripts with their shared helpers, the files that ship (mirror of target
  # paths) and the API artifact.
  provisioner "file" {
    source      = "${path.root}/provision/"
    destination = "${local.staging}/provision"
  }
  provisioner "file" {
    source      = "${path.root}/files"
    destination = "${local.staging}"
  }
  # The jar is built right before the build (CI: ./mvnw package); `generated` defers the check
  # that it exists from validation to the upload, so the template validates without a build.
  provisioner "file" {
    source      = var.api_jar
    destination = "${local.staging}/zmanim-api.jar"
    generated   = true
  }

  # Every provisioner script of the shared list, in order, as root, with the contract's variables.
  provisioner "shell" {
    inline          = [for name in local.provision_scripts : "bash ${local.staging}/provision/${name}"]
    inline_shebang  = "/bin/bash -e"
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    env = {
      ZMANIM_FILES_DIR                = "${local.staging}/files"
      ZMANIM_API_JAR                  = "${local.staging}/zmanim-api.jar"
      ZMANIM_API_VERSION              = var.api_version
      ZMANIM_INSTALL_CLOUDWATCH_AGENT = var.install_cloudwatch_agent ? "true" : "false"
    }
  }

  post-processor "manifest" {
    output     = "${path.root}/manifest.json"
    strip_path = true
    custom_data = {
      version     = var.version
      api_version = var.api_version
    }
  }
}
