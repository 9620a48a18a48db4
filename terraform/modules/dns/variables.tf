variable "domain_name" {
  description = "Apex domain of StoryMagic, e.g. storymagic.example."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "The domain name must be a lower-case fully qualified name."
  }
}

variable "create_zone" {
  description = "Create the public hosted zone (true) or use an existing one of the same name (false)."
  type        = bool
  default     = false
}

variable "site_hostname" {
  description = "Viewer host name served by CloudFront (the apex domain or a subdomain of it)."
  type        = string
}

variable "origin_hostname" {
  description = "Host name of the ALB origin, e.g. origin.storymagic.example."
  type        = string
}

variable "create_site_records" {
  description = "Create the A/AAAA alias records of the viewer host name to CloudFront (a plan-time flag: counts cannot depend on values known only after apply)."
  type        = bool
  default     = true
}

variable "create_origin_record" {
  description = "Create the alias record of the origin host name to the ALB."
  type        = bool
  default     = true
}

variable "cloudfront_domain_name" {
  description = "Domain name of the CloudFront distribution."
  type        = string
  default     = ""
}

variable "cloudfront_zone_id" {
  description = "Hosted zone ID of the CloudFront distribution."
  type        = string
  default     = ""
}

variable "alb_dns_name" {
  description = "DNS name of the ALB."
  type        = string
  default     = ""
}

variable "alb_zone_id" {
  description = "Hosted zone ID of the ALB."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
