variable "name_prefix" {
  description = "Prefix of the secret names: \"storymagic\" gives storymagic/openai-api-key, storymagic/firebase-config and storymagic/database-credentials."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "The prefix must be lower-case letters, digits or hyphens."
  }
}

variable "db_username" {
  description = "Database user stored in the credentials secret."
  type        = string
  default     = "storymagic"
}

variable "db_host" {
  description = "Database host stored in the credentials secret (used by the rotation function)."
  type        = string
}

variable "db_port" {
  description = "Database port stored in the credentials secret."
  type        = number
  default     = 5432
}

variable "db_name" {
  description = "Database name stored in the credentials secret."
  type        = string
}

variable "rotation_days" {
  description = "Automatic rotation period of the database credentials in days."
  type        = number
  default     = 30

  validation {
    condition     = var.rotation_days >= 1 && var.rotation_days <= 1000
    error_message = "The rotation period must be between 1 and 1000 days."
  }
}

variable "enable_rotation" {
  description = "Deploy the rotation function and rotate the database credentials automatically."
  type        = bool
  default     = true
}

variable "rotation_subnet_ids" {
  description = "Private subnets the rotation function runs in (it must reach RDS and the Secrets Manager API)."
  type        = list(string)
}

variable "rotation_security_group_id" {
  description = "Security group of the rotation function."
  type        = string
}

variable "rotation_application_version" {
  description = "Semantic version of the SecretsManagerRDSPostgreSQLRotationSingleUser application; null takes the latest."
  type        = string
  default     = null
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "The recovery window is 0 (immediate) or 7-30 days."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
