output "certificate_arn" {
  description = "ARN of the certificate, available once DNS validation has succeeded."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "domain_name" {
  description = "Primary domain name of the certificate."
  value       = aws_acm_certificate.this.domain_name
}
