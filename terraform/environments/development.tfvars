# terraform workspace select development
environment = "development"
aws_region  = "eu-central-1"

domain_name       = "storymagic.example"
site_subdomain    = "dev"
github_repository = "storymagic/storymagic"

# Seed development sizing: 1 task of 0.5 vCPU / 1 GB, db.t3.micro single AZ, one cache node.
ecs_cpu           = 512
ecs_memory        = 1024
ecs_desired_count = 1
ecs_min_capacity  = 1
ecs_max_capacity  = 1

rds_instance_class        = "db.t3.micro"
rds_multi_az              = false
rds_deletion_protection   = false
rds_skip_final_snapshot   = true
rds_backup_retention_days = 7

redis_node_type          = "cache.t3.micro"
redis_num_cache_clusters = 1

enable_secret_rotation       = true
secrets_recovery_window_days = 0
storage_force_destroy        = true

alarm_emails = []

create_budget                 = false
activate_cost_allocation_tags = false
create_github_oidc_provider   = false
