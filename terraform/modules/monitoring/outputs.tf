output "sns_topic_arn" {
  description = "ARN of the alarm topic."
  value       = aws_sns_topic.alarms.arn
}

output "ecs_log_group_name" {
  description = "Name of the container log group."
  value       = aws_cloudwatch_log_group.ecs.name
}

output "ecs_log_group_arn" {
  description = "ARN of the container log group."
  value       = aws_cloudwatch_log_group.ecs.arn
}

output "collector_log_group_name" {
  description = "Name of the ADOT collector's log group."
  value       = aws_cloudwatch_log_group.collector.name
}

output "collector_log_group_arn" {
  description = "ARN of the ADOT collector's log group."
  value       = aws_cloudwatch_log_group.collector.arn
}

output "rds_log_group_name" {
  description = "Name of the PostgreSQL log group."
  value       = aws_cloudwatch_log_group.rds.name
}

output "alarm_names" {
  description = "Names of StoryMagic's four alarms."
  value = [
    aws_cloudwatch_metric_alarm.high_cpu.alarm_name,
    aws_cloudwatch_metric_alarm.db_connections.alarm_name,
    aws_cloudwatch_metric_alarm.generation_timeout_rate.alarm_name,
    aws_cloudwatch_metric_alarm.safety_violations.alarm_name,
  ]
}

output "deploy_alarm_names" {
  description = "Per colour, the alarms that make a progressive deploy roll back."
  value = {
    for color in keys(var.target_group_arn_suffixes) : color => [
      aws_cloudwatch_metric_alarm.target_5xx[color].alarm_name,
      aws_cloudwatch_metric_alarm.unhealthy_hosts[color].alarm_name,
    ]
  }
}

output "service_alarm_names" {
  description = "Service-wide alarms that also make a progressive deploy roll back."
  value = [
    aws_cloudwatch_metric_alarm.high_cpu.alarm_name,
    aws_cloudwatch_metric_alarm.generation_timeout_rate.alarm_name,
  ]
}
