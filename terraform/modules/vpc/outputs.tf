output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (ALB, NAT gateway)."
  value       = aws_subnet.public[*].id
}

output "app_subnet_ids" {
  description = "IDs of the private application subnets (ECS tasks, ElastiCache)."
  value       = aws_subnet.app[*].id
}

output "data_subnet_ids" {
  description = "IDs of the private data subnets (RDS, credential rotation)."
  value       = aws_subnet.data[*].id
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways."
  value       = aws_nat_gateway.this[*].id
}

output "private_network_acl_id" {
  description = "ID of the restricted network ACL of the private subnets."
  value       = aws_network_acl.private.id
}

output "alb_security_group_id" {
  description = "alb-security-group: 80/443 from anywhere."
  value       = aws_security_group.alb.id
}

output "ecs_security_group_id" {
  description = "ecs-security-group: the container port from the ALB only."
  value       = aws_security_group.ecs.id
}

output "rds_security_group_id" {
  description = "rds-security-group: 5432 from the API tasks (and the rotation function) only."
  value       = aws_security_group.rds.id
}

output "redis_security_group_id" {
  description = "redis-security-group: 6379 from the API tasks only."
  value       = aws_security_group.redis.id
}

output "rotation_security_group_id" {
  description = "Security group of the database credential rotation function."
  value       = aws_security_group.rotation.id
}
