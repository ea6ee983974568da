"""Views of the service app, split by screen: public survey, IKM pages, complaints, imports."""
