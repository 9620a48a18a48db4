output "state_bucket" {
  description = "Name of the state bucket."
  value       = aws_s3_bucket.state.id
}

output "lock_table" {
  description = "Name of the DynamoDB lock table."
  value       = aws_dynamodb_table.locks.name
}

output "kms_key_arn" {
  description = "ARN of the KMS key of the state."
  value       = aws_kms_key.state.arn
}

output "backend_config" {
  description = "Contents of terraform/backend.hcl for `terraform init -backend-config=backend.hcl`."
  value       = <<-EOT
    bucket         = "${aws_s3_bucket.state.id}"
    dynamodb_table = "${aws_dynamodb_table.locks.name}"
    kms_key_id     = "${aws_kms_key.state.arn}"
    region         = "${var.aws_region}"
  EOT
}
