-- GitLab remove_concurrent_index
DROP INDEX CONCURRENTLY IF EXISTS index_issues_on_old_column;
