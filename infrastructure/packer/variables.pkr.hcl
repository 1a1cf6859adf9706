# Inputs of the image build. Every variable is typed, described and validated where a format
# applies. None of them is a secret: secrets live only in SSM SecureString and are read at boot.

variable "version" {
  type        = string
  description = "Version of the image, e.g. 1.4.0 or 1.4.0-rc1 (CI passes it from the v<version>-ami tag). Names the AMI."
  default     = "0.0.0-dev"
  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", var.version))
    error_message = "The version must look like MAJOR.MINOR.PATCH with an optional -suffix, e.g. 1.4.0 or 1.4.0-rc1."
  }
}

variable "region" {
  type        = string
  description = "AWS region the AMI is built in and registered to."
  default     = "eu-west-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "The region must be an AWS region name such as eu-west-1."
  }
}

variable "build_tags" {
  type        = map(string)
  description = "Tags the AMI build role requires on everything Packer launches: output AmiBuildTags of the image pipeline stack (the workflow's repository variable AMI_BUILD_TAGS; `make synth` writes it to cdk.out/zmanim-names.json as amiBuildTags). No default: a copy of the role's tag would drift from it."
  validation {
    condition     = length(var.build_tags) > 0
    error_message = "The build_tags must hold the tag the AMI build role requires (output AmiBuildTags of the image pipeline stack)."
  }
}

variable "instance_type" {
  type        = string
  description = "Graviton (arm64) instance type of the temporary builder instance."
  default     = "m7g.medium"
  validation {
    condition     = can(regex("^[a-z][0-9]+g[a-z]*\\.[0-9]*(nano|micro|small|medium|large|xlarge)$", var.instance_type))
    error_message = "The builder must be a Graviton (arm64) type such as m7g.medium or t4g.small."
  }
}

variable "api_version" {
  type        = string
  description = "Version of the API artifact baked into the image (its manifest's Implementation-Version; CI passes it)."
  default     = "0.0.0-dev"
  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", var.api_version))
    error_message = "The api_version must look like MAJOR.MINOR.PATCH with an optional -suffix."
  }
}

variable "api_jar" {
  type        = string
  description = "Path of the API artifact to bake, built by `./mvnw -pl api package` (relative to this folder or absolute)."
  default     = "../../api/target/zmanim-api.jar"
  validation {
    condition     = endswith(var.api_jar, ".jar")
    error_message = "The api_jar must be the path of a .jar file (api/target/zmanim-api.jar)."
  }
}

variable "source_ami_owner" {
  type        = string
  description = "Account that publishes the base image: Debian's official cloud images account."
  default     = "136693071363"
  validation {
    condition     = can(regex("^[0-9]{12}$", var.source_ami_owner))
    error_message = "The source_ami_owner must be a 12-digit AWS account id."
  }
}

variable "source_ami_name" {
  type        = string
  description = "Name filter of the base image: Debian 13 (trixie) arm64, the newest match is used."
  default     = "debian-13-arm64-*"
  validation {
    condition     = startswith(var.source_ami_name, "debian-13-arm64-")
    error_message = "The base image must be Debian 13 (trixie) arm64: a name filter starting with debian-13-arm64-."
  }
}

variable "root_volume_size_gib" {
  type        = number
  description = "Size of the image's root volume in GiB (the instance's disposable root; data lives on /data)."
  default     = 10
  validation {
    condition     = var.root_volume_size_gib >= 8 && var.root_volume_size_gib <= 64
    error_message = "The root volume must be between 8 and 64 GiB."
  }
}

variable "install_cloudwatch_agent" {
  type        = bool
  description = "Install AWS's CloudWatch agent and SSM agent packages (true for every real image)."
  default     = true
}
