# terraform workspace select production
environment = "production"
aws_region  = "eu-central-1"

domain_name       = "storymagic.example"
site_subdomain    = ""
github_repository = "storymagic/storymagic"

# Seed production sizing: 2-4 tasks of 1 vCPU / 2 GB, db.t3.medium Multi-AZ.
ecs_cpu           = 1024
ecs_memory        = 2048
ecs_desired_count = 2
ecs_min_capacity  = 1
ecs_max_capacity  = 4

rds_instance_class        = "db.t3.medium"
rds_multi_az              = true
rds_deletion_protection   = true
rds_skip_final_snapshot   = false
rds_backup_retention_days = 7

redis_node_type          = "cache.t3.micro"
redis_num_cache_clusters = 2

enable_secret_rotation       = true
secrets_recovery_window_days = 30
storage_force_destroy        = false

alarm_emails = ["oncall@storymagic.example"]

# Account-wide settings live in the production workspace.
create_budget                 = true
monthly_budget_usd            = 400
activate_cost_allocation_tags = true
create_github_oidc_provider   = true
