module example.com/usersvc

go 1.19
