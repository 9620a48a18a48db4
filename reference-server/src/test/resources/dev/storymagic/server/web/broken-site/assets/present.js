document.title = "present";
