variable "environment" {
  description = "Environment of this workspace: development, staging or production (must equal the selected workspace)."
  type        = string

  validation {
    condition     = contains(["development", "staging", "production"], var.environment)
    error_message = "The environment must be development, staging or production."
  }
}

variable "aws_region" {
  description = "Primary region (StoryMagic runs in eu-central-1, Frankfurt)."
  type        = string
  default     = "eu-central-1"

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.aws_region))
    error_message = "Give an AWS region name such as eu-central-1."
  }
}

variable "allowed_account_ids" {
  description = "AWS accounts this configuration may touch (guards against applying with the wrong credentials); empty allows any."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.allowed_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "Account IDs have 12 digits."
  }
}

variable "availability_zones" {
  description = "Availability zones of the subnets (two: the ALB and the subnet groups need two)."
  type        = list(string)
  default     = ["eu-central-1a", "eu-central-1b"]

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "At least two availability zones."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "public_subnet_cidrs" {
  description = "Public subnets, one per availability zone (the first: 10.0.1.0/24)."
  type        = list(string)
  default     = ["10.0.1.0/24", "10.0.11.0/24"]
}

variable "app_subnet_cidrs" {
  description = "Private application subnets, one per availability zone (the first: 10.0.2.0/24)."
  type        = list(string)
  default     = ["10.0.2.0/24", "10.0.12.0/24"]
}

variable "data_subnet_cidrs" {
  description = "Private data subnets, one per availability zone (the first: 10.0.3.0/24)."
  type        = list(string)
  default     = ["10.0.3.0/24", "10.0.13.0/24"]
}

variable "domain_name" {
  description = "Public apex domain of StoryMagic (a Route 53 hosted zone), e.g. storymagic.example."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "The domain name must be a lower-case fully qualified name."
  }
}

variable "create_dns_zone" {
  description = "Create the hosted zone (true) or use the existing zone of domain_name (false)."
  type        = bool
  default     = false
}

variable "site_subdomain" {
  description = "Subdomain viewers use in this environment (empty: the apex domain)."
  type        = string
  default     = ""

  validation {
    condition     = var.site_subdomain == "" || can(regex("^[a-z0-9-]+$", var.site_subdomain))
    error_message = "The subdomain is a single DNS label or empty."
  }
}

variable "container_image_tag" {
  description = "Image tag of the Terraform-managed base task definition; deploys register revisions with the commit SHA."
  type        = string
  default     = "bootstrap"
}

variable "ecs_cpu" {
  description = "Task CPU units (production: 1024 = 1 vCPU; development: 512)."
  type        = number
  default     = 1024
}

variable "ecs_memory" {
  description = "Task memory in MiB (production: 2048; development: 1024)."
  type        = number
  default     = 2048
}

variable "warm_up_requests" {
  description = "Story requests each API task serves to a private copy of itself at start-up, before it listens, so its first burst meets compiled code (WARM_UP_REQUESTS; 0 turns it off). About 12 s for 2000 on two cores, well inside the container health check's 40 s start period; no call leaves the task."
  type        = number
  default     = 2000

  validation {
    condition     = var.warm_up_requests >= 0 && var.warm_up_requests <= 20000
    error_message = "The warm_up_requests value must be within 0..20000: the server refuses more."
  }
}

variable "ecs_desired_count" {
  description = "Initial number of API tasks."
  type        = number
  default     = 2
}

variable "ecs_min_capacity" {
  description = "Autoscaling minimum of API tasks."
  type        = number
  default     = 1
}

variable "ecs_max_capacity" {
  description = "Autoscaling maximum of API tasks."
  type        = number
  default     = 4
}

variable "rds_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t3.medium"
}

variable "rds_multi_az" {
  description = "Multi-AZ RDS (production)."
  type        = bool
  default     = true
}

variable "rds_deletion_protection" {
  description = "Deletion protection of the RDS instance and the ALB."
  type        = bool
  default     = true
}

variable "rds_skip_final_snapshot" {
  description = "Skip the final snapshot when the database is destroyed (never in production)."
  type        = bool
  default     = false
}

variable "rds_backup_retention_days" {
  description = "Days of automated RDS backups and point-in-time recovery."
  type        = number
  default     = 7
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t3.micro"
}

variable "redis_num_cache_clusters" {
  description = "Redis nodes: 1 (single AZ) or 2+ (replica and automatic failover)."
  type        = number
  default     = 1
}

variable "enable_secret_rotation" {
  description = "Rotate the database credentials automatically every 30 days."
  type        = bool
  default     = true
}

variable "secrets_recovery_window_days" {
  description = "Days a deleted secret can be restored (0 in throwaway environments)."
  type        = number
  default     = 30
}

variable "storage_force_destroy" {
  description = "Let Terraform delete a non-empty storage bucket (never in production)."
  type        = bool
  default     = false
}

variable "alarm_emails" {
  description = "E-mail addresses receiving alarms and budget alerts."
  type        = list(string)
  default     = []
}

variable "create_budget" {
  description = "Create the monthly cost budget (account-wide: in one workspace only)."
  type        = bool
  default     = false
}

variable "monthly_budget_usd" {
  description = "Monthly cost budget in USD."
  type        = number
  default     = 400
}

variable "activate_cost_allocation_tags" {
  description = "Activate Project, Environment and Component as cost allocation tags (account-wide: in one workspace only)."
  type        = bool
  default     = false
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose deploy workflow may assume the deployment role."
  type        = string
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (in one workspace only)."
  type        = bool
  default     = false
}
