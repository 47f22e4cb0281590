"""From what is given (schemas, documents, text) to the domain: one reading each."""
