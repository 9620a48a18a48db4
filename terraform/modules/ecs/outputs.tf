output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.api.name
}

output "service_arn" {
  description = "ARN of the ECS service."
  value       = aws_ecs_service.api.id
}

output "task_definition_family" {
  description = "Family of the API task definition."
  value       = aws_ecs_task_definition.api.family
}

output "task_definition_arn" {
  description = "ARN of the Terraform-managed base revision of the task definition."
  value       = aws_ecs_task_definition.api.arn
}

output "container_name" {
  description = "Name of the API container."
  value       = var.container_name
}

output "cpu_high_scaling_policy_arn" {
  description = "ARN of the step scaling policy triggered by the High CPU alarm."
  value       = aws_appautoscaling_policy.cpu_high_step.arn
}
