"""Every write of the evaluation app. Views, tasks, the demo and tests call these."""
