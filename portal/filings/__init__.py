"""What every kind of filing shares: numbering, the workflow, history, documents, receipts."""
