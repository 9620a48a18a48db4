output "config_parameter_name" {
  description = "SSM parameter holding the deploy configuration (--config-parameter of the deploy script)."
  value       = aws_ssm_parameter.config.name
}

output "history_parameter_name" {
  description = "SSM parameter holding the current and previous task definition."
  value       = aws_ssm_parameter.history.name
}
