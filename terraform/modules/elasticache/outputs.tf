output "replication_group_id" {
  description = "ID of the Redis replication group."
  value       = aws_elasticache_replication_group.this.id
}

output "primary_endpoint_address" {
  description = "Primary endpoint of the replication group (REDIS_HOST, TLS only)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "port" {
  description = "Redis port (REDIS_PORT)."
  value       = aws_elasticache_replication_group.this.port
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the cache at rest."
  value       = aws_kms_key.redis.arn
}
