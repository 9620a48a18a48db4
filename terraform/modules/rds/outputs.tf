output "instance_id" {
  description = "Identifier of the RDS instance."
  value       = aws_db_instance.this.identifier
}

output "instance_arn" {
  description = "ARN of the RDS instance."
  value       = aws_db_instance.this.arn
}

output "address" {
  description = "Host name of the RDS instance (DATABASE_HOST)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the RDS instance (DATABASE_PORT)."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the application database (DATABASE_NAME)."
  value       = aws_db_instance.this.db_name
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the instance."
  value       = aws_kms_key.rds.arn
}

output "parameter_group_name" {
  description = "Name of the custom PostgreSQL 15 parameter group."
  value       = aws_db_parameter_group.this.name
}
