output "repository_url" {
  description = "URL of the repository (registry/name)."
  value       = aws_ecr_repository.this.repository_url
}

output "repository_arn" {
  description = "ARN of the repository."
  value       = aws_ecr_repository.this.arn
}

output "repository_name" {
  description = "Name of the repository."
  value       = aws_ecr_repository.this.name
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the images."
  value       = aws_kms_key.ecr.arn
}
