"""Quality measurements of extraction against the sample darknet's ground truth."""
