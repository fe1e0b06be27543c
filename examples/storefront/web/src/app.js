document.getElementById("greeting").textContent += " Served by CloudFront.";
