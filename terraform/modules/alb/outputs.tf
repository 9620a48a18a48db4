output "alb_arn" {
  description = "ARN of the ALB."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the ALB, the LoadBalancer dimension of its CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the ALB (target of the origin alias record)."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Route 53 hosted zone ID of the ALB, for alias records."
  value       = aws_lb.this.zone_id
}

output "http_listener_arn" {
  description = "ARN of the HTTP listener (redirects to HTTPS)."
  value       = aws_lb_listener.http.arn
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener whose weighted forward action the deploy shifts."
  value       = aws_lb_listener.https.arn
}

output "target_group_arns" {
  description = "ARNs of the blue and green target groups, keyed by colour."
  value       = { for color, tg in aws_lb_target_group.api : color => tg.arn }
}

output "target_group_arn_suffixes" {
  description = "ARN suffixes of the blue and green target groups (TargetGroup metric dimension), keyed by colour."
  value       = { for color, tg in aws_lb_target_group.api : color => tg.arn_suffix }
}
