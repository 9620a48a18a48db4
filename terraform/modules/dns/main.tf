locals {
  zone_id = var.create_zone ? aws_route53_zone.this[0].zone_id : data.aws_route53_zone.this[0].zone_id
}

resource "aws_route53_zone" "this" {
  count = var.create_zone ? 1 : 0

  name    = var.domain_name
  comment = "StoryMagic public zone"
  tags    = merge(var.tags, { Component = "dns" })
}

data "aws_route53_zone" "this" {
  count = var.create_zone ? 0 : 1

  name         = var.domain_name
  private_zone = false
}

# Viewers reach CloudFront ...
resource "aws_route53_record" "site_ipv4" {
  count = var.create_site_records ? 1 : 0

  zone_id = local.zone_id
  name    = var.site_hostname
  type    = "A"

  alias {
    name                   = var.cloudfront_domain_name
    zone_id                = var.cloudfront_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "site_ipv6" {
  count = var.create_site_records ? 1 : 0

  zone_id = local.zone_id
  name    = var.site_hostname
  type    = "AAAA"

  alias {
    name                   = var.cloudfront_domain_name
    zone_id                = var.cloudfront_zone_id
    evaluate_target_health = false
  }
}

# ... and CloudFront reaches the ALB under a name its certificate covers.
resource "aws_route53_record" "origin" {
  count = var.create_origin_record ? 1 : 0

  zone_id = local.zone_id
  name    = var.origin_hostname
  type    = "A"

  alias {
    name                   = var.alb_dns_name
    zone_id                = var.alb_zone_id
    evaluate_target_health = true
  }
}
