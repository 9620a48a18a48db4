# terraform workspace select staging
environment = "staging"
aws_region  = "eu-central-1"

domain_name       = "storymagic.example"
site_subdomain    = "staging"
github_repository = "storymagic/storymagic"

# Production-like shape at the smallest size that still exercises blue-green and failover.
ecs_cpu           = 1024
ecs_memory        = 2048
ecs_desired_count = 1
ecs_min_capacity  = 1
ecs_max_capacity  = 2

rds_instance_class        = "db.t3.micro"
rds_multi_az              = false
rds_deletion_protection   = true
rds_skip_final_snapshot   = false
rds_backup_retention_days = 7

redis_node_type          = "cache.t3.micro"
redis_num_cache_clusters = 1

enable_secret_rotation       = true
secrets_recovery_window_days = 7
storage_force_destroy        = false

alarm_emails = ["oncall@storymagic.example"]

create_budget                 = false
activate_cost_allocation_tags = false
create_github_oidc_provider   = false
