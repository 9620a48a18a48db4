variable "name" {
  description = "Name of the budget, e.g. storymagic-monthly."
  type        = string
}

variable "monthly_limit_usd" {
  description = "Monthly cost budget in USD."
  type        = number
  default     = 400

  validation {
    condition     = var.monthly_limit_usd > 0
    error_message = "The budget must be positive."
  }
}

variable "alert_thresholds_percent" {
  description = "Percentages of the budget at which actual spend alerts."
  type        = list(number)
  default     = [80, 90, 100]

  validation {
    condition     = length(var.alert_thresholds_percent) > 0 && alltrue([for t in var.alert_thresholds_percent : t > 0 && t <= 1000])
    error_message = "Give at least one threshold between 0 and 1000 percent."
  }
}

variable "sns_topic_arn" {
  description = "Topic that receives the budget alerts."
  type        = string
}

variable "alert_emails" {
  description = "E-mail addresses that receive the budget alerts directly."
  type        = list(string)
  default     = []
}

variable "cost_allocation_tags" {
  description = "User-defined tags activated for cost allocation in the billing console."
  type        = list(string)
  default     = ["Project", "Environment", "Component"]
}

variable "activate_cost_allocation_tags" {
  description = "Activate the cost allocation tags (an account-wide setting: manage it from one workspace only)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
