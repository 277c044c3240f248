# Models of this app arrive with its issue (see README, "Road map").
