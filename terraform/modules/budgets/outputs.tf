output "budget_name" {
  description = "Name of the monthly budget."
  value       = aws_budgets_budget.monthly.name
}

output "monthly_limit_usd" {
  description = "Monthly budget in USD."
  value       = var.monthly_limit_usd
}
