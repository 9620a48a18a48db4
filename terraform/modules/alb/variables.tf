variable "name" {
  description = "Name prefix of the load balancer resources, e.g. \"storymagic\" (ALB storymagic-alb)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}$", var.name))
    error_message = "The name must be 2-19 lower-case letters, digits or hyphens so that target group names stay within 32 characters."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the target groups live in."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets of the internet-facing ALB (at least two availability zones)."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "An ALB needs subnets in at least two availability zones."
  }
}

variable "security_group_id" {
  description = "alb-security-group (80/443 from anywhere)."
  type        = string
}

variable "certificate_arn" {
  description = "ARN of the validated regional ACM certificate served by the HTTPS listener."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn)) || var.certificate_arn == ""
    error_message = "The certificate must be an ACM certificate ARN."
  }
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener; TLS 1.2 is the minimum."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)", var.ssl_policy))
    error_message = "Only TLS 1.2+ listener policies are allowed."
  }
}

variable "container_port" {
  description = "Port of the API containers the target groups forward to."
  type        = number
  default     = 3000
}

variable "health_check_path" {
  description = "Target group health check path (the server's deep health check)."
  type        = string
  default     = "/health"
}

variable "health_check_interval" {
  description = "Seconds between target health checks."
  type        = number
  default     = 30

  validation {
    condition     = var.health_check_interval >= 5 && var.health_check_interval <= 300
    error_message = "The health check interval must be between 5 and 300 seconds."
  }
}

variable "health_check_timeout" {
  description = "Seconds before a health check counts as failed."
  type        = number
  default     = 5

  validation {
    condition     = var.health_check_timeout >= 2 && var.health_check_timeout <= 120
    error_message = "The health check timeout must be between 2 and 120 seconds."
  }
}

variable "healthy_threshold" {
  description = "Consecutive successes before a target is healthy."
  type        = number
  default     = 2

  validation {
    condition     = var.healthy_threshold >= 2 && var.healthy_threshold <= 10
    error_message = "The healthy threshold must be between 2 and 10."
  }
}

variable "unhealthy_threshold" {
  description = "Consecutive failures before a target is unhealthy."
  type        = number
  default     = 3

  validation {
    condition     = var.unhealthy_threshold >= 2 && var.unhealthy_threshold <= 10
    error_message = "The unhealthy threshold must be between 2 and 10."
  }
}

variable "deregistration_delay" {
  description = "Seconds the ALB keeps draining a deregistered task (in-flight story generations finish)."
  type        = number
  default     = 60
}

variable "slow_start" {
  description = "Seconds over which the ALB ramps a newly healthy task up to its full share of requests (0 turns it off; 30-900)."
  type        = number
  default     = 120

  validation {
    condition     = var.slow_start == 0 || (var.slow_start >= 30 && var.slow_start <= 900)
    error_message = "Slow start is 0 (off) or between 30 and 900 seconds."
  }
}

variable "idle_timeout" {
  description = "ALB idle timeout in seconds; long enough for a streamed story generation."
  type        = number
  default     = 120
}

variable "deletion_protection" {
  description = "Protect the ALB from deletion (on in production)."
  type        = bool
  default     = true
}

variable "access_logs_bucket" {
  description = "S3 bucket for ALB access logs; null disables access logging."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
