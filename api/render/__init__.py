"""What people read: the message catalog (words), numbers, dates and times in their language."""
