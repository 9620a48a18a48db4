output "task_role_arn" {
  description = "ARN of the ECS task role."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "ARN of the ECS execution role."
  value       = aws_iam_role.execution.arn
}

output "deploy_role_arn" {
  description = "ARN of the deployment role (AWS_DEPLOY_ROLE_ARN of the GitHub environment)."
  value       = aws_iam_role.deploy.arn
}
