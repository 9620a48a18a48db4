output "environment" {
  description = "Environment of this workspace."
  value       = var.environment
}

output "site_url" {
  description = "Public URL of StoryMagic (CloudFront)."
  value       = "https://${local.site_hostname}"
}

output "cloudfront_distribution_id" {
  description = "CloudFront distribution ID (for invalidations)."
  value       = module.cloudfront.distribution_id
}

output "alb_dns_name" {
  description = "DNS name of the ALB."
  value       = module.alb.alb_dns_name
}

output "ecr_repository_url" {
  description = "ECR repository of the API image (ECR_REPOSITORY of the deploy workflow)."
  value       = module.ecr.repository_url
}

output "ecs_cluster_name" {
  description = "ECS cluster."
  value       = module.ecs.cluster_name
}

output "ecs_service_name" {
  description = "ECS service."
  value       = module.ecs.service_name
}

output "database_address" {
  description = "RDS endpoint."
  value       = module.rds.address
}

output "database_instance_id" {
  description = "RDS instance identifier (for point-in-time recovery)."
  value       = module.rds.instance_id
}

output "redis_address" {
  description = "ElastiCache primary endpoint."
  value       = module.elasticache.primary_endpoint_address
}

output "storage_bucket" {
  description = "S3 storage bucket."
  value       = module.storage.bucket_name
}

output "deploy_role_arn" {
  description = "Deployment role for the GitHub environment secret AWS_DEPLOY_ROLE_ARN."
  value       = module.iam.deploy_role_arn
}

output "deploy_config_parameter" {
  description = "SSM parameter read by deploy/ecs-progressive-deploy.mjs."
  value       = module.deployment.config_parameter_name
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.monitoring.sns_topic_arn
}
