variable "identifier" {
  description = "RDS instance identifier, e.g. storymagic-db."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.identifier))
    error_message = "The identifier must start with a letter and use lower-case letters, digits and hyphens."
  }
}

variable "subnet_ids" {
  description = "Private data subnets of the DB subnet group (at least two availability zones)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "A DB subnet group needs subnets in at least two availability zones."
  }
}

variable "security_group_id" {
  description = "rds-security-group (5432 from the API tasks only)."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL engine version; a major version keeps the instance on the newest 15.x minor release."
  type        = string
  default     = "15"

  validation {
    condition     = can(regex("^15(\\.[0-9]+)?$", var.engine_version))
    error_message = "StoryMagic runs PostgreSQL 15."
  }
}

variable "instance_class" {
  description = "Instance class (db.t3.medium in production, db.t3.micro in development)."
  type        = string
  default     = "db.t3.medium"

  validation {
    condition     = can(regex("^db\\.", var.instance_class))
    error_message = "The instance class must be an RDS class such as db.t3.medium."
  }
}

variable "allocated_storage" {
  description = "Initial storage in GB."
  type        = number
  default     = 100

  validation {
    condition     = var.allocated_storage >= 20
    error_message = "PostgreSQL on gp2 needs at least 20 GB."
  }
}

variable "max_allocated_storage" {
  description = "Upper bound of storage autoscaling in GB."
  type        = number
  default     = 1000
}

variable "storage_type" {
  description = "Storage type of the instance."
  type        = string
  default     = "gp2"

  validation {
    condition     = contains(["gp2", "gp3", "io1", "io2"], var.storage_type)
    error_message = "The storage type must be gp2, gp3, io1 or io2."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in a second availability zone (production)."
  type        = bool
  default     = true
}

variable "backup_retention_period" {
  description = "Days of automated backups (and point-in-time recovery)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_period >= 1 && var.backup_retention_period <= 35
    error_message = "The backup retention must be between 1 and 35 days."
  }
}

variable "backup_window" {
  description = "Daily backup window, UTC."
  type        = string
  default     = "03:00-04:00"

  validation {
    condition     = can(regex("^[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$", var.backup_window))
    error_message = "The backup window has the form hh:mm-hh:mm."
  }
}

variable "maintenance_window" {
  description = "Weekly maintenance window, UTC."
  type        = string
  default     = "sun:04:00-sun:05:00"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]$", var.maintenance_window))
    error_message = "The maintenance window has the form ddd:hh:mm-ddd:hh:mm."
  }
}

variable "deletion_protection" {
  description = "Protect the instance from deletion (on in production)."
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot when the instance is destroyed (never in production)."
  type        = bool
  default     = false
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "storymagic"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "The database name must start with a letter and use lower-case letters, digits and underscores."
  }
}

variable "master_username" {
  description = "Master user name (also stored in storymagic/database-credentials)."
  type        = string
  default     = "storymagic"
}

variable "master_password" {
  description = "Initial master password; the secret rotation owns it afterwards."
  type        = string
  sensitive   = true
}

variable "max_connections" {
  description = "PostgreSQL max_connections."
  type        = number
  default     = 200
}

variable "work_mem_kb" {
  description = "PostgreSQL work_mem in kB (16384 kB = 16 MB)."
  type        = number
  default     = 16384
}

variable "log_group_name" {
  description = "CloudWatch log group created beforehand for the exported PostgreSQL log (/aws/rds/instance/<id>/postgresql), so its retention applies."
  type        = string
}

variable "performance_insights_enabled" {
  description = "Enable Performance Insights (free tier, 7 days)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
