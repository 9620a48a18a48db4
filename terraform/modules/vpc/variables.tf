variable "name" {
  description = "Name prefix for every network resource, e.g. \"storymagic\" or \"storymagic-dev\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "The name must be 2-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "cidr_block" {
  description = "CIDR block of the VPC (StoryMagic uses 10.0.0.0/16)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.cidr_block))
    error_message = "The VPC CIDR block must be a valid IPv4 CIDR."
  }
}

variable "availability_zones" {
  description = "Availability zones to spread the subnets over. The ALB, RDS and ElastiCache subnet groups need at least two."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "At least two availability zones are required by the ALB and the RDS/ElastiCache subnet groups."
  }
}

variable "public_subnet_cidrs" {
  description = "Public subnets (ALB, NAT gateway), one per availability zone; the first is StoryMagic's 10.0.1.0/24."
  type        = list(string)
  default     = ["10.0.1.0/24", "10.0.11.0/24"]

  validation {
    condition     = alltrue([for c in var.public_subnet_cidrs : can(cidrnetmask(c))])
    error_message = "Every public subnet CIDR must be a valid IPv4 CIDR."
  }
}

variable "app_subnet_cidrs" {
  description = "Private application subnets (ECS tasks, ElastiCache), one per availability zone; the first is StoryMagic's 10.0.2.0/24."
  type        = list(string)
  default     = ["10.0.2.0/24", "10.0.12.0/24"]

  validation {
    condition     = alltrue([for c in var.app_subnet_cidrs : can(cidrnetmask(c))])
    error_message = "Every application subnet CIDR must be a valid IPv4 CIDR."
  }
}

variable "data_subnet_cidrs" {
  description = "Private data subnets (RDS, secret rotation), one per availability zone; the first is StoryMagic's 10.0.3.0/24."
  type        = list(string)
  default     = ["10.0.3.0/24", "10.0.13.0/24"]

  validation {
    condition     = alltrue([for c in var.data_subnet_cidrs : can(cidrnetmask(c))])
    error_message = "Every data subnet CIDR must be a valid IPv4 CIDR."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (StoryMagic's layout, cheapest) instead of one per availability zone."
  type        = bool
  default     = true
}

variable "container_port" {
  description = "Port the API containers listen on; the only port the ALB may reach them on."
  type        = number
  default     = 3000

  validation {
    condition     = var.container_port > 0 && var.container_port < 65536
    error_message = "The container port must be between 1 and 65535."
  }
}

variable "postgres_port" {
  description = "PostgreSQL port opened from the ECS tasks to RDS."
  type        = number
  default     = 5432
}

variable "redis_port" {
  description = "Redis port opened from the ECS tasks to ElastiCache."
  type        = number
  default     = 6379
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow logs in CloudWatch Logs, in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "The flow log retention must be one of the values CloudWatch Logs accepts."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module (cost allocation: Project, Environment, Component)."
  type        = map(string)
  default     = {}
}
