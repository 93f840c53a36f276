/* placeholder: the offline form script */
