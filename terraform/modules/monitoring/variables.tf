variable "name" {
  description = "Name prefix of the alarms and the SNS topic, e.g. storymagic."
  type        = string
}

variable "ecs_log_group_name" {
  description = "Log group of the API containers."
  type        = string
  default     = "/ecs/storymagic-api"

  validation {
    condition     = startswith(var.ecs_log_group_name, "/ecs/")
    error_message = "The container log group lives under /ecs/."
  }
}

variable "ecs_log_retention_days" {
  description = "Retention of the container logs in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.ecs_log_retention_days)
    error_message = "The retention must be one of the values CloudWatch Logs accepts."
  }
}

variable "db_identifier" {
  description = "RDS instance identifier (its PostgreSQL log group is /aws/rds/instance/<id>/postgresql)."
  type        = string
}

variable "db_log_retention_days" {
  description = "Retention of the PostgreSQL logs in days."
  type        = number
  default     = 7

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.db_log_retention_days)
    error_message = "The retention must be one of the values CloudWatch Logs accepts."
  }
}

variable "cluster_name" {
  description = "ECS cluster of the API service."
  type        = string
}

variable "service_name" {
  description = "ECS service of the API."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the ALB (LoadBalancer dimension)."
  type        = string
}

variable "target_group_arn_suffixes" {
  description = "ARN suffixes of the blue and green target groups (TargetGroup dimension), keyed by colour."
  type        = map(string)
}

variable "cpu_alarm_threshold" {
  description = "High CPU Utilization: average CPU above this percentage ..."
  type        = number
  default     = 80
}

variable "cpu_alarm_minutes" {
  description = "... for this many consecutive minutes."
  type        = number
  default     = 5
}

variable "cpu_alarm_scaling_policy_arn" {
  description = "Autoscaling policy triggered together with the SNS notification by the High CPU alarm."
  type        = string
}

variable "db_connections_threshold" {
  description = "Database Connection Count: alarm above this many connections."
  type        = number
  default     = 180
}

variable "generation_timeout_rate_threshold" {
  description = "Generation Timeout Rate: alarm when more than this percentage of story generations time out ..."
  type        = number
  default     = 5
}

variable "generation_timeout_period_seconds" {
  description = "... within this window (seconds)."
  type        = number
  default     = 600
}

variable "safety_violations_threshold" {
  description = "Content Safety Violations: alarm above this many violations in any period."
  type        = number
  default     = 0
}

variable "collector_log_retention_days" {
  description = "Days the ADOT collector's log is kept."
  type        = number
  default     = 7
}

variable "db_pool_pending_threshold" {
  description = "Alarm when more requests than this wait for a pooled database connection."
  type        = number
  default     = 5
}

variable "db_pool_pending_minutes" {
  description = "Consecutive minutes above the pending-connections threshold before the alarm fires."
  type        = number
  default     = 3

  validation {
    condition     = var.db_pool_pending_minutes >= 1 && var.db_pool_pending_minutes <= 60
    error_message = "Between 1 and 60 minutes."
  }
}

variable "metric_namespace" {
  description = "Namespace of the application's Embedded Metric Format metrics."
  type        = string
  default     = "StoryMagic"
}

variable "xray_sampling_rate" {
  description = "Fraction of requests X-Ray traces."
  type        = number
  default     = 0.1

  validation {
    condition     = var.xray_sampling_rate >= 0 && var.xray_sampling_rate <= 1
    error_message = "The sampling rate is a fraction between 0 and 1."
  }
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic (each must confirm)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "Every subscriber must be an e-mail address."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
