variable "cluster_name" {
  description = "Name of the ECS Fargate cluster, e.g. storymagic-production."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,255}$", var.cluster_name))
    error_message = "Cluster names use letters, digits, hyphens and underscores only."
  }
}

variable "service_name" {
  description = "Name of the ECS service (and task definition family)."
  type        = string
  default     = "storymagic-api"
}

variable "container_name" {
  description = "Name of the API container in the task definition."
  type        = string
  default     = "api"
}

variable "container_image" {
  description = "Image of the API container in the Terraform-managed base revision. Deploys register new revisions with the commit-SHA image."
  type        = string
}

variable "container_port" {
  description = "Port the API container listens on."
  type        = number
  default     = 3000
}

variable "cpu" {
  description = "Task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "The task CPU must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Task memory in MiB."
  type        = number
  default     = 2048

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880
    error_message = "The task memory must be between 512 and 122880 MiB."
  }
}

variable "desired_count" {
  description = "Initial number of tasks of the service (autoscaling owns it afterwards)."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= 0
    error_message = "The desired count cannot be negative."
  }
}

variable "deployment_minimum_healthy_percent" {
  description = "Lower bound of running tasks during a deployment, as a percentage of the desired count."
  type        = number
  default     = 50

  validation {
    condition     = var.deployment_minimum_healthy_percent >= 0 && var.deployment_minimum_healthy_percent <= 100
    error_message = "The minimum healthy percent must be between 0 and 100."
  }
}

variable "deployment_maximum_percent" {
  description = "Upper bound of running tasks during a deployment, as a percentage of the desired count."
  type        = number
  default     = 200

  validation {
    condition     = var.deployment_maximum_percent >= 100
    error_message = "The maximum percent must be at least 100."
  }
}

variable "min_capacity" {
  description = "Autoscaling: minimum number of tasks."
  type        = number
  default     = 1

  validation {
    condition     = var.min_capacity >= 1
    error_message = "At least one task must run."
  }
}

variable "max_capacity" {
  description = "Autoscaling: maximum number of tasks."
  type        = number
  default     = 4
}

variable "cpu_target" {
  description = "Autoscaling: target average CPU utilisation in percent."
  type        = number
  default     = 70

  validation {
    condition     = var.cpu_target > 0 && var.cpu_target <= 100
    error_message = "The CPU target must be a percentage."
  }
}

variable "memory_target" {
  description = "Autoscaling: target average memory utilisation in percent."
  type        = number
  default     = 80

  validation {
    condition     = var.memory_target > 0 && var.memory_target <= 100
    error_message = "The memory target must be a percentage."
  }
}

variable "scale_in_cooldown" {
  description = "Autoscaling: seconds between scale-in activities."
  type        = number
  default     = 300
}

variable "scale_out_cooldown" {
  description = "Autoscaling: seconds between scale-out activities."
  type        = number
  default     = 300
}

variable "task_role_arn" {
  description = "ARN of the ECS task role (the application's permissions)."
  type        = string
}

variable "execution_role_arn" {
  description = "ARN of the ECS execution role (image pull, logs, secrets at startup)."
  type        = string
}

variable "log_group_name" {
  description = "CloudWatch log group of the containers (/ecs/storymagic-api)."
  type        = string
}

variable "aws_region" {
  description = "Region of the log group, for the awslogs driver."
  type        = string
}

variable "environment_variables" {
  description = "Plain environment variables of the API container (no secrets here)."
  type        = map(string)
  default     = {}

  validation {
    condition     = length([for k in keys(var.environment_variables) : k if can(regex("(?i)(password|secret|api_key|token)", k))]) == 0
    error_message = "Secrets must be injected through var.secrets, never as plain environment variables."
  }
}

variable "secrets" {
  description = "Environment variables injected from Secrets Manager at startup: name => valueFrom (secret ARN, optionally with :json-key::)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.secrets) : can(regex("^arn:aws[a-z-]*:(secretsmanager|ssm):", v))])
    error_message = "Every secret must reference a Secrets Manager secret or SSM parameter ARN."
  }
}

variable "enable_xray" {
  description = "Run the AWS Distro for OpenTelemetry collector as a sidecar and point the API's OTLP exporter at it, so traces reach X-Ray."
  type        = bool
  default     = true
}

variable "collector_image" {
  description = "Image of the ADOT collector sidecar, pinned to a release tag."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0"

  validation {
    condition     = can(regex("^public\\.ecr\\.aws/aws-observability/aws-otel-collector:v[0-9]+\\.[0-9]+\\.[0-9]+$", var.collector_image))
    error_message = "Pin the ADOT collector to a release tag such as v0.49.0, never latest."
  }
}

variable "collector_log_group_name" {
  description = "Log group of the ADOT collector sidecar."
  type        = string
}

variable "traces_sampler_ratio" {
  description = "Share of new traces the API samples (requests with a sampling decision keep it)."
  type        = number
  default     = 0.1

  validation {
    condition     = var.traces_sampler_ratio >= 0 && var.traces_sampler_ratio <= 1
    error_message = "The sampling ratio is a fraction between 0 and 1."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
