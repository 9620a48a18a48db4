variable "parameter_path" {
  description = "SSM path of the deploy configuration and history, e.g. /storymagic/production/deploy."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_./-]+[^/]$", var.parameter_path))
    error_message = "The parameter path must start with / and not end with /."
  }
}

variable "environment" {
  description = "Deployment environment."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster of the service."
  type        = string
}

variable "service_name" {
  description = "ECS service deployed through task sets."
  type        = string
}

variable "task_definition_family" {
  description = "Task definition family the deploy registers new revisions in."
  type        = string
}

variable "container_name" {
  description = "Container whose image a deploy replaces."
  type        = string
}

variable "container_port" {
  description = "Port of that container behind the target groups."
  type        = number
}

variable "platform_version" {
  description = "Fargate platform version of the task sets."
  type        = string
  default     = "1.4.0"
}

variable "subnet_ids" {
  description = "Private subnets of the task sets."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the task sets."
  type        = list(string)
}

variable "listener_arn" {
  description = "HTTPS listener whose weighted forward action is shifted."
  type        = string
}

variable "target_group_arns" {
  description = "Blue and green target groups, keyed by colour."
  type        = map(string)

  validation {
    condition     = length(setsubtract(["blue", "green"], keys(var.target_group_arns))) == 0
    error_message = "Both a blue and a green target group are required."
  }
}

variable "alarm_names_by_color" {
  description = "Alarms that make a deploy roll back, per colour of the new task set."
  type        = map(list(string))
}

variable "service_alarm_names" {
  description = "Service-wide alarms that make any deploy roll back."
  type        = list(string)
}

variable "traffic_steps" {
  description = "Progressive traffic shift: percentage of traffic on the new version and minutes of watching before the next step."
  type = list(object({
    percent       = number
    watch_minutes = number
  }))
  default = [
    { percent = 10, watch_minutes = 10 },
    { percent = 50, watch_minutes = 5 },
    { percent = 100, watch_minutes = 0 },
  ]

  validation {
    condition     = length(var.traffic_steps) > 0 && var.traffic_steps[length(var.traffic_steps) - 1].percent == 100 && alltrue([for s in var.traffic_steps : s.percent > 0 && s.percent <= 100 && s.watch_minutes >= 0])
    error_message = "Each step shifts 1-100 % and the last one must reach 100 %."
  }
}

variable "previous_revision_retention_hours" {
  description = "Hours a replaced task definition revision stays registered for rollbacks."
  type        = number
  default     = 24

  validation {
    condition     = var.previous_revision_retention_hours >= 24
    error_message = "The previous task definition is kept for at least 24 hours."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
