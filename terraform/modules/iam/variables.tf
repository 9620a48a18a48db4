variable "name" {
  description = "Name prefix of the roles, e.g. storymagic."
  type        = string
}

variable "environment" {
  description = "Deployment environment; the deployment role only trusts GitHub jobs of the same GitHub environment."
  type        = string

  validation {
    condition     = contains(["development", "staging", "production"], var.environment)
    error_message = "The environment must be development, staging or production."
  }
}

variable "secret_arns" {
  description = "Secrets Manager secrets the application and its container startup may read."
  type        = list(string)
}

variable "secrets_kms_key_arn" {
  description = "KMS key of the secrets."
  type        = string
}

variable "storage_bucket_arn" {
  description = "ARN of the S3 storage bucket the application reads and writes."
  type        = string
}

variable "storage_kms_key_arn" {
  description = "KMS key of the storage bucket."
  type        = string
}

variable "log_group_arn" {
  description = "ARN of the /ecs/storymagic-api log group."
  type        = string
}

variable "collector_log_group_arn" {
  description = "ARN of the ADOT collector sidecar's log group."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ARN of the API image repository."
  type        = string
}

variable "ecr_kms_key_arn" {
  description = "KMS key of the image repository."
  type        = string
}

variable "ecs_cluster_arn" {
  description = "ARN of the ECS cluster."
  type        = string
}

variable "ecs_service_arn" {
  description = "ARN of the ECS service the deployment role updates."
  type        = string
}

variable "task_definition_family" {
  description = "Family of the API task definition."
  type        = string
}

variable "https_listener_arn" {
  description = "ARN of the HTTPS listener whose weights the deployment role shifts."
  type        = string
}

variable "deploy_parameter_path" {
  description = "SSM parameter path (without trailing slash) holding the deploy configuration and history, e.g. /storymagic/production/deploy."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_./-]+[^/]$", var.deploy_parameter_path))
    error_message = "The parameter path must start with / and not end with /."
  }
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may assume the deployment role through OIDC."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "Give the repository as owner/name."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider (only once per account; other workspaces look it up)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
