variable "name" {
  description = "Name prefix of the CloudFront policies, e.g. storymagic."
  type        = string
}

variable "aliases" {
  description = "Viewer host names of the distribution (covered by the us-east-1 certificate)."
  type        = list(string)
  default     = []
}

variable "certificate_arn" {
  description = "ARN of the ACM certificate in us-east-1 (CloudFront only accepts certificates from there)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:us-east-1:", var.certificate_arn))
    error_message = "CloudFront needs an ACM certificate from us-east-1."
  }
}

variable "origin_domain_name" {
  description = "Host name of the ALB origin (a name covered by the ALB's certificate, e.g. origin.storymagic.example)."
  type        = string
}

variable "assets_bucket_regional_domain_name" {
  description = "Regional domain name of the bucket holding the story assets (served at /assets/stories/*)."
  type        = string
}

variable "minimum_protocol_version" {
  description = "Minimum TLS version for viewers."
  type        = string
  default     = "TLSv1.2_2021"

  validation {
    condition     = contains(["TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"], var.minimum_protocol_version)
    error_message = "Only TLS 1.2+ security policies are allowed."
  }
}

variable "http_version" {
  description = "Highest HTTP version offered to viewers."
  type        = string
  default     = "http2"

  validation {
    condition     = contains(["http2", "http2and3"], var.http_version)
    error_message = "The distribution offers HTTP/2 (optionally with HTTP/3)."
  }
}

variable "price_class" {
  description = "Edge locations used (PriceClass_100: Europe and North America, enough for EU viewers)."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "Unknown price class."
  }
}

variable "geo_restriction_locations" {
  description = "ISO 3166-1 alpha-2 codes of the countries allowed to reach the service (whitelist: the EU member states, for GDPR)."
  type        = list(string)
  default = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
  ]

  validation {
    condition     = length(var.geo_restriction_locations) > 0 && alltrue([for c in var.geo_restriction_locations : can(regex("^[A-Z]{2}$", c))])
    error_message = "Give at least one two-letter upper-case country code."
  }
}

variable "assets_ttl_seconds" {
  description = "Cache lifetime of /assets/* (hashed file names): one year."
  type        = number
  default     = 31536000
}

variable "default_ttl_seconds" {
  description = "Cache lifetime of everything else that is not /api/*: one hour."
  type        = number
  default     = 3600
}

variable "web_acl_arn" {
  description = "ARN of an optional AWS WAF web ACL (us-east-1, CLOUDFRONT scope)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
