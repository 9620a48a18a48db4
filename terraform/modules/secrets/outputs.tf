output "openai_api_key_secret_arn" {
  description = "ARN of storymagic/openai-api-key (OPENAI_API_KEY)."
  value       = aws_secretsmanager_secret.openai_api_key.arn
}

output "firebase_config_secret_arn" {
  description = "ARN of storymagic/firebase-config (FIREBASE_CONFIG)."
  value       = aws_secretsmanager_secret.firebase_config.arn
}

output "database_credentials_secret_arn" {
  description = "ARN of storymagic/database-credentials (DATABASE_USER / DATABASE_PASSWORD)."
  value       = aws_secretsmanager_secret.database_credentials.arn
}

output "secret_arns" {
  description = "ARNs of all three secrets."
  value = [
    aws_secretsmanager_secret.openai_api_key.arn,
    aws_secretsmanager_secret.firebase_config.arn,
    aws_secretsmanager_secret.database_credentials.arn,
  ]
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the secrets."
  value       = aws_kms_key.secrets.arn
}

output "initial_database_password" {
  description = "Password the database is created with (the rotation replaces it)."
  value       = data.aws_secretsmanager_random_password.database.random_password
  sensitive   = true
}

output "rotation_days" {
  description = "Rotation period of the database credentials in days (0 when rotation is off)."
  value       = var.enable_rotation ? var.rotation_days : 0
}
