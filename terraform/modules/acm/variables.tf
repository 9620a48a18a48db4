variable "domain_name" {
  description = "Primary domain name of the certificate."
  type        = string

  validation {
    condition     = can(regex("^(\\*\\.)?([a-z0-9-]+\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "The domain name must be a lower-case fully qualified name."
  }
}

variable "subject_alternative_names" {
  description = "Additional names covered by the certificate."
  type        = list(string)
  default     = []
}

variable "zone_id" {
  description = "Route 53 hosted zone in which the DNS validation records are created."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
