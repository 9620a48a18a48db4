variable "repository_name" {
  description = "Name of the ECR repository of the API image."
  type        = string
  default     = "storymagic-api"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._/-]{1,255}$", var.repository_name))
    error_message = "Repository names are lower-case letters, digits, '.', '_', '-' and '/'."
  }
}

variable "image_retention_days" {
  description = "Images older than this many days are expired (StoryMagic keeps 30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.image_retention_days >= 1
    error_message = "Keep images for at least one day."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
