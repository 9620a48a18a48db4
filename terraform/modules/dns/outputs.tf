output "zone_id" {
  description = "ID of the public hosted zone."
  value       = local.zone_id
}

output "site_fqdn" {
  description = "Viewer host name."
  value       = var.site_hostname
}

output "origin_fqdn" {
  description = "Origin host name of the ALB."
  value       = var.origin_hostname
}
